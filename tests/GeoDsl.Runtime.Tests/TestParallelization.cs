// Tests here seed torch's global generator (torch.manual_seed) and then draw from it; test classes running in parallel
// would draw from it in between, so a test that regenerates "the same" seeded tensors could get others. On the 2-core
// CI machine parallel classes gain little, so they run one after another.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
