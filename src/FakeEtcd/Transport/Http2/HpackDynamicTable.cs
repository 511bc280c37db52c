namespace FakeEtcd.Transport.Http2;

/// <summary>
/// The HPACK dynamic table (RFC 7541 §2.3.2, §4): a FIFO of header fields bounded by a size in
/// octets, where each entry costs its name and value lengths plus 32.
/// </summary>
internal sealed class HpackDynamicTable(int maxSize)
{
    /// <summary>The per-entry overhead of RFC 7541 §4.1.</summary>
    public const int EntryOverhead = 32;

    private (byte[] Name, byte[] Value)[] _entries = new (byte[], byte[])[16];
    private int _newest = -1; // slot of the most recently added entry

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>Current size in octets (RFC 7541 §4.1).</summary>
    public int Size { get; private set; }

    /// <summary>Current maximum size in octets.</summary>
    public int MaxSize { get; private set; } = maxSize;

    /// <summary>The entry at 1-based dynamic index <paramref name="index"/> (1 = newest).</summary>
    public (byte[] Name, byte[] Value) this[int index]
    {
        get
        {
            if (index < 1 || index > Count)
            {
                throw new ArgumentOutOfRangeException(nameof(index));
            }

            return _entries[(_newest - index + 1 + _entries.Length) % _entries.Length];
        }
    }

    /// <summary>Adds an entry, evicting the oldest ones to make room (RFC 7541 §4.4).</summary>
    public void Add(byte[] name, byte[] value)
    {
        var entrySize = name.Length + value.Length + EntryOverhead;
        if (entrySize > MaxSize)
        {
            // An entry larger than the table empties it and is not added.
            EvictTo(0);
            return;
        }

        EvictTo(MaxSize - entrySize);
        if (Count == _entries.Length)
        {
            Grow();
        }

        _newest = (_newest + 1) % _entries.Length;
        _entries[_newest] = (name, value);
        Count++;
        Size += entrySize;
    }

    /// <summary>Applies a dynamic table size update (RFC 7541 §4.3).</summary>
    public void SetMaxSize(int maxSize)
    {
        MaxSize = maxSize;
        EvictTo(maxSize);
    }

    private void EvictTo(int size)
    {
        while (Size > size)
        {
            var oldest = (_newest - Count + 1 + _entries.Length) % _entries.Length;
            var (name, value) = _entries[oldest];
            Size -= name.Length + value.Length + EntryOverhead;
            _entries[oldest] = default;
            Count--;
        }
    }

    private void Grow()
    {
        var grown = new (byte[], byte[])[_entries.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            // Oldest first, so the newest lands at Count - 1.
            grown[i] = this[Count - i];
        }

        _entries = grown;
        _newest = Count - 1;
    }
}
