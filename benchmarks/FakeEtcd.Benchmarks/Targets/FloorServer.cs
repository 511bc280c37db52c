using System.Net;
using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Transport.InMemory;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FakeEtcd.Benchmarks.Targets;

/// <summary>
/// The floor: Kestrel with etcd's KV service answering canned responses of realistic size, so a
/// FakeEtcd figure divided by the floor's is the cost FakeEtcd adds on top of gRPC.
/// </summary>
internal sealed class FloorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InMemoryTransport _inMemory;

    private FloorServer(WebApplication app, Uri url, InMemoryTransport inMemory)
    {
        _app = app;
        Url = url;
        _inMemory = inMemory;
    }

    public Uri Url { get; }

    /// <summary>A channel on an in-memory connection, as FakeEtcd's (the same transport).</summary>
    public GrpcChannel CreateInMemoryChannel() => _inMemory.CreateChannel(Url);

    public static async Task<FloorServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var inMemory = new InMemoryTransport();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        inMemory.AttachTo(builder);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<CannedKv>();
        await app.StartAsync();
        return new FloorServer(app, new Uri(app.Urls.First(u => !InMemoryTransport.IsListed(u))), inMemory);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CannedKv : KV.KVBase
    {
        private static readonly ResponseHeader Header = new() { ClusterId = 1, MemberId = 2, Revision = 1000, RaftTerm = 2 };
        private static readonly PutResponse PutReply = new() { Header = Header };
        private static readonly DeleteRangeResponse DeleteReply = new() { Header = Header, Deleted = 1 };
        private static readonly TxnResponse TxnReply = new()
        {
            Header = Header,
            Succeeded = true,
            Responses = { new ResponseOp { ResponsePut = new PutResponse { Header = new ResponseHeader { Revision = 1000 } } } },
        };

        private static readonly Dictionary<bool, RangeResponse> Ranges = new()
        {
            [false] = CannedRange(1),
            [true] = CannedRange(100),
        };

        public override Task<PutResponse> Put(PutRequest request, ServerCallContext context) => Task.FromResult(PutReply);

        public override Task<RangeResponse> Range(RangeRequest request, ServerCallContext context) =>
            Task.FromResult(Ranges[!request.RangeEnd.IsEmpty]);

        public override Task<DeleteRangeResponse> DeleteRange(DeleteRangeRequest request, ServerCallContext context) => Task.FromResult(DeleteReply);

        public override Task<TxnResponse> Txn(TxnRequest request, ServerCallContext context) => Task.FromResult(TxnReply);

        private static RangeResponse CannedRange(int keys)
        {
            var response = new RangeResponse { Header = Header, Count = keys };
            for (var i = 0; i < keys; i++)
            {
                response.Kvs.Add(new EtcdProtocol.Mvccpb.KeyValue
                {
                    Key = Google.Protobuf.ByteString.CopyFromUtf8($"prefix/{i:000}"),
                    Value = Google.Protobuf.ByteString.CopyFrom(new byte[64]),
                    CreateRevision = 10 + i,
                    ModRevision = 10 + i,
                    Version = 1,
                });
            }

            return response;
        }
    }
}
