using Etcdserverpb;

namespace FakeEtcd.Tests.Differential;

/// <summary>Auth while disabled: what clients with configured credentials run into at connect time.</summary>
public sealed class AuthDiffTests : KvDifferentialTest
{
    [Fact]
    public async Task Authenticate_when_auth_is_disabled()
    {
        await Pair.Both(c => c.Auth.AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = "secret" }).ResponseAsync);
        await Pair.Both(c => c.Auth.AuthenticateAsync(new AuthenticateRequest()).ResponseAsync);
    }

    [Fact]
    public async Task Enable_without_root_user()
    {
        await Pair.Both(c => c.Auth.AuthEnableAsync(new AuthEnableRequest()).ResponseAsync);
        await Pair.Both(c => c.Auth.AuthDisableAsync(new AuthDisableRequest()).ResponseAsync);
    }
}
