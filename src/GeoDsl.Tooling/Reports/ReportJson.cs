using System.Text.Encodings.Web;
using System.Text.Json;

namespace GeoDsl.Tooling.Reports;

/// <summary>
/// How every GeoDsl JSON document is written (geodsl describe/check/catalog --json, the build's model report):
/// camelCase names of the report records, indented, so tools see one shape wherever it comes from (docs/cli-json.md).
/// </summary>
public static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // Shape strings use '×': keep them readable rather than \u00D7.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
