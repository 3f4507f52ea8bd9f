using TorchSharp;

namespace GeoDsl.Runtime.Tests.Smoke;

public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void NativeLibraryLoadsAndRunsABackwardPass()
    {
        var w = torch.randn(4, 3, requires_grad: true);
        var loss = (w * w).sum();
        loss.backward();
        Assert.Equal(new long[] { 4, 3 }, w.grad!.shape);
    }
}
