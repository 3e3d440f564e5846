using System.Text;
using Requapass.Badges.Core.Webhooks;

namespace Requapass.Badges.Core.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    [Test]
    public void Sign_TheStandardWebhooksExample_GivesItsPublishedSignature()
    {
        // The example message of the Standard Webhooks specification (secret, id, timestamp, body, signature).
        var signature = WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
            Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));
        Assert.That(signature, Is.EqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    }

    [Test]
    public void Sign_WhenTheBodyIdOrTimestampChange_GivesAnotherSignature()
    {
        var secret = WebhookSignature.NewSecret();
        var body = Encoding.UTF8.GetBytes("""{"id":"e1","type":"assertion.awarded"}""");
        var original = WebhookSignature.Sign(secret, "e1", 1_700_000_000, body);
        Assert.That(WebhookSignature.Sign(secret, "e1", 1_700_000_000, body), Is.EqualTo(original));
        Assert.That(WebhookSignature.Sign(secret, "e1", 1_700_000_001, body), Is.Not.EqualTo(original));
        Assert.That(WebhookSignature.Sign(secret, "e2", 1_700_000_000, body), Is.Not.EqualTo(original));
        Assert.That(WebhookSignature.Sign(secret, "e1", 1_700_000_000, Encoding.UTF8.GetBytes("""{"id":"e1","type":"assertion.revoked"}""")), Is.Not.EqualTo(original));
        Assert.That(WebhookSignature.Sign(WebhookSignature.NewSecret(), "e1", 1_700_000_000, body), Is.Not.EqualTo(original));
    }

    [Test]
    public void NewSecret_Is32RandomBytesAfterThePrefix()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.That(secret, Does.StartWith("whsec_"));
        Assert.That(WebhookSignature.KeyOf(secret), Has.Length.EqualTo(32));
        Assert.That(WebhookSignature.NewSecret(), Is.Not.EqualTo(secret));
    }
}
