using Grpc.Core;

namespace FakeEtcd.Errors;

/// <summary>etcd's error table (api/v3rpc/rpctypes/error.go): code and byte-identical message.</summary>
internal static class EtcdErrors
{
    public static EtcdException EmptyKey() => new(StatusCode.InvalidArgument, "etcdserver: key is not provided");

    public static EtcdException KeyNotFound() => new(StatusCode.InvalidArgument, "etcdserver: key not found");

    public static EtcdException ValueProvided() => new(StatusCode.InvalidArgument, "etcdserver: value is provided");

    public static EtcdException LeaseProvided() => new(StatusCode.InvalidArgument, "etcdserver: lease is provided");

    /// <summary>etcd 3.6's answer to an unknown sort target; 3.4 and 3.5 crash on it (nil sorter in apply).</summary>
    public static EtcdException InvalidSortOption() => new(StatusCode.InvalidArgument, "etcdserver: invalid sort option");

    public static EtcdException TooManyOps() =>
        new(StatusCode.InvalidArgument, "etcdserver: too many operations in txn request");

    public static EtcdException DuplicateKey() =>
        new(StatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request");

    public static EtcdException Compacted() =>
        new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");

    public static EtcdException FutureRevision() =>
        new(StatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");

    public static EtcdException LeaseNotFound() => new(StatusCode.NotFound, "etcdserver: requested lease not found");

    public static EtcdException LeaseExists() => new(StatusCode.FailedPrecondition, "etcdserver: lease already exists");

    public static EtcdException LeaseTtlTooLarge() => new(StatusCode.OutOfRange, "etcdserver: too large lease TTL");

    public static EtcdException NoSpace() => new(StatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded");

    public static EtcdException BadLeaderTransferee() => new(StatusCode.FailedPrecondition, "etcdserver: bad leader transferee");

    public static EtcdException Corrupt() => new(StatusCode.DataLoss, "etcdserver: corrupt cluster");

    public static EtcdException RequestTooLarge() => new(StatusCode.InvalidArgument, "etcdserver: request is too large");

    public static EtcdException AuthNotEnabled() =>
        new(StatusCode.FailedPrecondition, "etcdserver: authentication is not enabled");

    public static EtcdException RootUserNotExist() =>
        new(StatusCode.FailedPrecondition, "etcdserver: root user does not exist");

    public static EtcdException NotCapable() => new(StatusCode.Unavailable, "etcdserver: not capable");
}
