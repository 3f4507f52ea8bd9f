namespace GeoDsl.Runtime.Training;

/// <summary>
/// The seed of each epoch's chip order: different every epoch, the same for the same run seed, so a run reproduces
/// chip for chip.
/// </summary>
public static class EpochShuffle
{
    public static int Seed(int runSeed, int epoch) => unchecked(runSeed * 1_000_003 + epoch);
}
