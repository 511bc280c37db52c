namespace FakeEtcd.Transport.Http2;

/// <summary>How a header field was represented on the wire (RFC 7541 §6).</summary>
internal enum HpackRepresentation
{
    /// <summary>Indexed header field (§6.1).</summary>
    Indexed,

    /// <summary>Literal with incremental indexing (§6.2.1): added to the dynamic table.</summary>
    IncrementalIndexing,

    /// <summary>Literal without indexing (§6.2.2).</summary>
    WithoutIndexing,

    /// <summary>Literal never indexed (§6.2.3): intermediaries must keep it unindexed.</summary>
    NeverIndexed,
}

/// <summary>One decoded header field; the spans are only valid during the callback.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Value">The field value.</param>
/// <param name="Representation">How the field was encoded.</param>
/// <param name="StaticIndex">
/// The static table index the field (if indexed) or its name (if literal) came from; 0 when the
/// name came from the dynamic table or a literal.
/// </param>
internal readonly ref struct HpackField(
    ReadOnlySpan<byte> Name,
    ReadOnlySpan<byte> Value,
    HpackRepresentation Representation,
    int StaticIndex)
{
    public ReadOnlySpan<byte> Name { get; } = Name;

    public ReadOnlySpan<byte> Value { get; } = Value;

    public HpackRepresentation Representation { get; } = Representation;

    public int StaticIndex { get; } = StaticIndex;
}

/// <summary>Receives the fields of a header block as the decoder produces them.</summary>
internal interface IHpackSink
{
    /// <summary>Called once per field, in block order.</summary>
    void OnField(HpackField field);
}

/// <summary>The header block violates RFC 7541; the connection's HPACK state is now unusable.</summary>
internal sealed class HpackDecodingException(string message) : Exception(message);
