namespace EtcdProtocol.V3Electionpb;

// The V3Electionpb responses that carry a header (generated partial classes).

internal sealed partial class CampaignResponse : IEtcdResponse;

internal sealed partial class LeaderResponse : IEtcdResponse;

internal sealed partial class ResignResponse : IEtcdResponse;

internal sealed partial class ProclaimResponse : IEtcdResponse;
