using GeoDsl.Composition.Shapes;
using GeoDsl.Composition.Specs;

namespace GeoDsl.Composition.Catalog.Heads;

/// <summary>A head: the decoder's map in, predictions out. Its name is the task it serves.</summary>
public abstract class HeadDescriptor : StageDescriptor
{
    protected HeadDescriptor(string name, ModelTask task, string terraTorchName, string summary, params ParameterInfo[] parameters)
        : base(name, ComponentKind.Head, summary, parameters)
    {
        Task = task;
        TerraTorchName = terraTorchName;
    }

    public ModelTask Task { get; }

    public string TerraTorchName { get; }

    /// <summary>Output channels (classes, or regression outputs).</summary>
    public abstract int OutputChannels(ArgumentList args);
}
