using BenchmarkDotNet.Running;
using Requapass.Badges.Benchmarks;

// dotnet run -c Release --project benchmarks/Requapass.Badges.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Requapass.Badges.Benchmarks -- award-path BASE CLIENT SECRET COUNT CONCURRENCY
// dotnet run -c Release --project benchmarks/Requapass.Badges.Benchmarks -- verify-path BASE CLIENT SECRET SECONDS CONCURRENCY
// benchmarks/hot-paths.sh runs bare URL PNG SQLITE_FILE [POSTGRES]: the bare Kestrel baseline
// benchmarks/bulk.sh runs batch-path and export-path (BASE CLIENT SECRET PROVIDER CONNECTION ROWS [PID])
if (args.FirstOrDefault() == "award-path")
{
    return await AwardPathLoad.RunAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
}
if (args.FirstOrDefault() == "verify-path")
{
    return await VerifyPathLoad.RunAsync(args[1], args[2], args[3], int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));
}
if (args.FirstOrDefault() == "bare")
{
    return await BareKestrel.RunAsync(args[1], args[2], args[3], args.ElementAtOrDefault(4));
}
if (args.FirstOrDefault() is "batch-path" or "export-path")
{
    return await BulkLoad.RunAsync(args);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

public partial class Program;
