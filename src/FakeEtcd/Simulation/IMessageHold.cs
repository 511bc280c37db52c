namespace FakeEtcd.Simulation;

/// <summary>The activity a stream message holds while its handler works on it; released around virtual waits.</summary>
internal interface IMessageHold
{
    /// <summary>Ends the current message's activity.</summary>
    void Release();

    /// <summary>Counts the current message again.</summary>
    void Resume();
}
