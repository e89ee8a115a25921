using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/RcmlRenderer.Benchmarks -- --filter '*'
// Add --job short for a quick look; results land in BenchmarkDotNet.Artifacts/ (git-ignored).
BenchmarkSwitcher.FromAssembly(typeof(AppServer.Benchmarks.RcmlRendererBenchmarks).Assembly).Run(args);
