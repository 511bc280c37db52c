using System.Text;
using FakeEtcd.Transport.Http2;

namespace FakeEtcd.Tests.Hosting;

public class AuthorityRepairTests
{
    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:2379")]
    [InlineData("etcd-0.etcd.svc_x~y:1")]
    [InlineData("[::1]")]
    [InlineData("[::1]:2379")]
    [InlineData("[fe80::1:2:3]:80")]
    public void AcceptsAuthorities(string authority) => Assert.True(AuthorityRepair.IsValid(Bytes(authority)));

    [Theory]
    [InlineData("http://127.0.0.1:23791")]
    [InlineData("#initially=[http://127.0.0.1:2379]")]
    [InlineData(":2379")]
    [InlineData("host:")]
    [InlineData("host:12a")]
    [InlineData("a:1:2")]
    [InlineData("[::1")]
    [InlineData("[]:80")]
    [InlineData("[::1]x")]
    [InlineData("host name")]
    [InlineData("unix:///tmp/etcd.sock")]
    public void RejectsNonAuthorities(string authority) => Assert.False(AuthorityRepair.IsValid(Bytes(authority)));

    [Theory]
    [InlineData("http://127.0.0.1:23791", "127.0.0.1:23791")]
    [InlineData("https://etcd.example:2379/", "etcd.example:2379")]
    [InlineData("http://user:pw@10.0.0.1:2379/path?q", "10.0.0.1:2379")]
    [InlineData("#initially=[http://127.0.0.1:2379]", "127.0.0.1:2379")]
    [InlineData("#initially=[https://a:1;https://b:2]", "a:1")]
    [InlineData("#initially=[http://[::1]:2379]", "[::1]:2379")]
    [InlineData("dns:///etcd:2379", "etcd:2379")]
    [InlineData("http://", "localhost")]
    [InlineData("http://bad|host:1", "localhost")]
    [InlineData("not a url", "localhost")]
    [InlineData(":2379", "localhost")]
    public void ExtractsHostAndPort(string authority, string expected) => Assert.Equal(expected, AuthorityRepair.Repair(Bytes(authority)));

    private static byte[] Bytes(string value) => Encoding.ASCII.GetBytes(value);
}
