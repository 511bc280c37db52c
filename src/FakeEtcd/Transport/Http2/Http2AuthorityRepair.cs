using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FakeEtcd.Transport.Http2;

/// <summary>
/// Kestrel connection middleware that repairs invalid HTTP/2 <c>:authority</c> values before
/// Kestrel's HTTP/2 parser sees them.
/// </summary>
/// <remarks>
/// Go etcd clients send values such as <c>http://127.0.0.1:2379</c> (etcdctl endpoint status)
/// or <c>#initially=[http://...]</c> (clientv3 3.5.0). Kestrel validates <c>:authority</c> as a
/// Host header and resets such streams, with no option to turn that off; real etcd accepts them.
/// </remarks>
internal static class Http2AuthorityRepair
{
    /// <summary>Installs the repair on a listen endpoint that speaks prior-knowledge HTTP/2.</summary>
    public static ListenOptions UseHttp2AuthorityRepair(this ListenOptions listen)
    {
        var limits = listen.KestrelServerOptions.Limits.Http2;
        listen.Use(next => async connection =>
        {
            if (!CleartextProtocolSelection.IsHttp2(connection))
            {
                await next(connection).ConfigureAwait(false);
                return;
            }

            var transport = connection.Transport;
            var scanner = new Http2InputScanner(limits.HeaderTableSize);
            connection.Transport = new DuplexPipe(new AuthorityRepairingPipeReader(transport.Input, scanner), transport.Output);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        });
        return listen;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
