using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Tests.Signing;

public sealed class SigningKeyConcurrencyTests
{
    [Test]
    public void SignSha256_FromManyThreadsAtOnce_AllVerify()
    {
        using var key = SigningKey.Generate().Key;
        const int threads = 32;
        var signatures = new byte[threads][];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            signatures[i] = key.SignSha256(BitConverter.GetBytes(i));
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.PublicKeyPem);
        Assert.That(Enumerable.Range(0, threads).Select(i =>
            rsa.VerifyData(BitConverter.GetBytes(i), signatures[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), Has.All.True);
    }

    [Test]
    public void SignSha256_IntoASpan_WritesTheSameSignatureAsTheArrayForm()
    {
        using var key = SigningKey.Generate().Key;
        var data = "payload"u8.ToArray();
        Span<byte> destination = stackalloc byte[key.SignatureLength];
        var written = key.SignSha256(data, destination);
        // RSASSA-PKCS1-v1_5 is deterministic: the same key and data give the same bytes.
        Assert.That(destination[..written].ToArray(), Is.EqualTo(key.SignSha256(data)));
        Assert.That(written, Is.EqualTo(256));
    }

    [Test]
    public void SignSha256_AfterDispose_Throws()
    {
        var key = SigningKey.Generate().Key;
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.SignSha256(Encoding.ASCII.GetBytes("x")));
    }
}
