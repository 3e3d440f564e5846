using BenchmarkDotNet.Attributes;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// Baking on the fly against its floor: a plain copy of the same bytes (the baseline, measured in the
/// same run). Target (issue #3): at most 2x the copy, and 1 MB baked at 1 GB/s or faster.
/// </summary>
[MemoryDiagnoser]
public class PngBakeBenchmarks
{
    private byte[] _png = [];
    private string _assertion = "";

    /// <summary>Approximate PNG sizes: 10 KB, 100 KB, 1 MB.</summary>
    [Params(10 * 1024, 100 * 1024, 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Random pixels do not compress, so the PNG is about as large as its pixel buffer.
        var side = (int)Math.Sqrt(Bytes / 4.0);
        var pixels = new byte[side * side * 4];
        new Random(42).NextBytes(pixels);
        _png = PngEncoder.Encode(side, side, pixels);
        _assertion = """{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://badges.requapass.eu/public/assertions/0123456789abcdef01234567","recipient":{"type":"email","hashed":true,"salt":"26ce8e101148555e8038858ec3326fdf","identity":"sha256$fe3c0b97839b8a3128658cc2356f2d1f535593ce9ac3056c89665588163453a7"},"badge":"https://badges.requapass.eu/public/badges/52bc67d71c9d1ca80a6cb784","verification":{"type":"HostedBadge"},"issuedOn":"2026-11-22T11:39:39Z","image":"https://badges.requapass.eu/public/assertions/0123456789abcdef01234567/image","narrative":"A accueilli le public pendant 6 mois."}""";
        if (PngBaker.Unbake(PngBaker.Bake(_png, _assertion)).Payload != _assertion)
        {
            throw new InvalidOperationException("The baker does not round-trip; the benchmark would measure nothing useful.");
        }
    }

    [Benchmark(Baseline = true, Description = "copy")]
    public byte[] Copy() => _png.ToArray();

    [Benchmark(Description = "bake")]
    public byte[] Bake() => PngBaker.Bake(_png, _assertion);
}
