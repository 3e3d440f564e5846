using System.Text;
using BenchmarkDotNet.Attributes;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Benchmarks;

/// <summary>
/// Signed issuance through the Core signer: 1,000 assertions signed (RS256, RSA-2048) per operation,
/// on 1 thread and on every core. benchmarks/signing.sh runs this beside `openssl speed rsa2048` in the
/// same run and reports the ratio per core. Target (issue #4): at least 0.85 of openssl's sign rate.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private const int Assertions = 1000;
    private SigningKey _key = null!;
    private byte[][] _payloads = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _key = SigningKey.Generate().Key;
        _payloads = [.. Enumerable.Range(0, Assertions).Select(i => Encoding.UTF8.GetBytes(
            $$"""{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:uuid:{{Guid.NewGuid()}}","recipient":{"type":"email","hashed":true,"salt":"26ce8e101148555e8038858ec3326fdf","identity":"sha256$fe3c0b97839b8a3128658cc2356f2d1f535593ce9ac3056c89665588163453a7"},"badge":"https://badges.requapass.eu/public/badges/52bc67d71c9d1ca80a6cb784","verification":{"type":"SignedBadge","creator":"https://badges.requapass.eu/public/keys/0123456789abcdef01234567"},"issuedOn":"2026-11-22T11:39:39Z","narrative":"Award {{i}}"}"""))];
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark(OperationsPerInvoke = Assertions, Description = "sign one assertion (JWS RS256)")]
    public void Sign()
    {
        Parallel.For(0, Assertions, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => Jws.Sign(_payloads[i], _key));
    }
}
