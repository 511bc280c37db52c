using FakeEtcd.Errors;
using Grpc.Core;

namespace FakeEtcd.Tests.Support;

/// <summary>Asserts that code fails with one exact etcd error (code and message).</summary>
internal static class EtcdAssert
{
    public static void Fails(StatusCode code, string message, Action action)
    {
        var error = Assert.Throws<EtcdException>(action);
        Assert.Equal((code, message), (error.Code, error.Message));
    }

    public static async Task FailsAsync(StatusCode code, string message, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<RpcException>(action);
        Assert.Equal((code, message), (error.StatusCode, error.Status.Detail));
    }
}
