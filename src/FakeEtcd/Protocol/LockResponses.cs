namespace EtcdProtocol.V3Lockpb;

// The V3Lockpb responses that carry a header (generated partial classes).

internal sealed partial class LockResponse : IEtcdResponse;

internal sealed partial class UnlockResponse : IEtcdResponse;
