namespace Election;

/// <summary>
/// Which Milvus generation's session value an <see cref="ActiveStandbySession"/> writes: the JSON Go's
/// encoding/json makes of that generation's <c>Session</c> (field order and omitempty as its tags say).
/// Every generation's reader ignores fields it does not know and zero-fills those it misses, so any
/// layout is read by any Milvus; pick the one of the Milvus the tools reading the keys come from.
/// </summary>
public enum SessionValueLayout
{
    /// <summary>
    /// Milvus 2.5.4 to 2.6 (<c>SessionRaw</c>): ServerID, ServerName, Address, Exclusive, Stopping,
    /// TriggerKill (no tag: always written), Version, IndexEngineVersion <c>{}</c>,
    /// ScalarIndexEngineVersion <c>{}</c>, LeaseID, HostName; omitempty on all but TriggerKill, Version
    /// and the two structs.
    /// </summary>
    Milvus25,

    /// <summary>Milvus 2.3.2 to 2.5.3 (<c>SessionRaw</c>): as <see cref="Milvus25"/> without ScalarIndexEngineVersion.</summary>
    Milvus23,

    /// <summary>
    /// Milvus 2.2 and 2.3.0 (the hand-written <c>MarshalJSON</c>): ServerID, ServerName, Address,
    /// Exclusive, Stopping, TriggerKill, Version only; no LeaseID or HostName.
    /// </summary>
    Milvus22,
}
