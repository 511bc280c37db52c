namespace Election.Tests.Support;

/// <summary>What registration tests on the virtual clock share.</summary>
public static class Registrations
{
    /// <summary>A candidate without active-standby (it claims the ACTIVE key at registration) at <paramref name="address"/>.</summary>
    public static Action<SessionOptions> Exclusive(string address) => o =>
    {
        o.EnableActiveStandby = false;
        o.Address = address;
    };

    /// <summary>Right after the advance to its instant the registration has finished: fail, do not wait for virtual time that never comes.</summary>
    public static Task<T> Finished<T>(Task<T> registration)
    {
        Assert.True(registration.IsCompleted, "the registration has not finished at its instant");
        return registration;
    }
}
