namespace FakeEtcd.Grpc.UrlClients;

/// <summary>A stream over one direction of a call's body: no seeking, no length, only reads or only writes.</summary>
internal abstract class OneWayStream(bool reads) : Stream
{
    public override bool CanRead => reads;

    public override bool CanSeek => false;

    public override bool CanWrite => !reads;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }
}
