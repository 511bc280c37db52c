using Google.Protobuf;
using Grpc.Core;

namespace FakeEtcd.Tests.Differential;

/// <summary>What one server answered: a response message or a gRPC error.</summary>
public sealed class Outcome<T>
    where T : class, IMessage<T>
{
    private Outcome(T? response, RpcException? error)
    {
        Response = response;
        Error = error;
    }

    public T? Response { get; }

    public RpcException? Error { get; }

    /// <summary>The response, failing the test if the call returned an error.</summary>
    public T Ok => Response ?? throw new Xunit.Sdk.XunitException($"Expected a response but got {this}");

    public static async Task<Outcome<T>> CaptureAsync(Func<Task<T>> call)
    {
        try
        {
            return new Outcome<T>(await call(), null);
        }
        catch (RpcException e)
        {
            return new Outcome<T>(null, e);
        }
    }

    /// <summary>The same outcome with the response rewritten (masking); errors are kept as is.</summary>
    public Outcome<T> Map(Func<T, T> map) => Response is null ? this : new Outcome<T>(map(Response), null);

    /// <summary>True when both are errors with the same code and byte-identical detail, or equal messages.</summary>
    public bool SameAs(Outcome<T> other)
    {
        if (Error is not null || other.Error is not null)
        {
            return Error is not null && other.Error is not null
                && Error.StatusCode == other.Error.StatusCode
                && string.Equals(Error.Status.Detail, other.Error.Status.Detail, StringComparison.Ordinal);
        }

        return Response!.Equals(other.Response);
    }

    public override string ToString() => Error is null
        ? ProtoText.Format(Response!)
        : $"ERROR {Error.StatusCode} \"{Error.Status.Detail}\"";
}
