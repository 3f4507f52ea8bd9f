namespace GeoDsl.Runtime.Training.Progress;

/// <summary>How a training run shows its progress on the console.</summary>
public enum TrainingProgressMode
{
    /// <summary>A live progress bar in an interactive terminal; plain lines when output is redirected (CI, a file).</summary>
    Auto,

    /// <summary>A live progress bar (Spectre.Console), even if the terminal looks non-interactive.</summary>
    Live,

    /// <summary>Plain lines only: a few progress lines per epoch and one line per finished epoch.</summary>
    Plain,

    /// <summary>Nothing on the console; the report and the epoch callback still carry everything.</summary>
    Off,
}
