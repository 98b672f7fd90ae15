using LlamaAspire.RunnerAgent.Runners;

namespace LlamaAspire.RunnerAgent.Tests.Runners;

public sealed class RunnerTransitionsTests
{
    private static readonly RunnerState[] Order = [RunnerState.Stopped, RunnerState.Starting, RunnerState.Ready, RunnerState.Stopping, RunnerState.Failed];

    // Rows: from; columns: to, in the order above. 1 = allowed.
    private static readonly int[,] Expected =
    {
        //          Stopped Starting Ready Stopping Failed
        /* Stopped  */ { 0, 1, 0, 0, 0 },
        /* Starting */ { 0, 0, 1, 1, 1 },
        /* Ready    */ { 0, 0, 0, 1, 1 },
        /* Stopping */ { 1, 0, 0, 0, 0 },
        /* Failed   */ { 1, 1, 0, 0, 0 },
    };

    public static TheoryData<RunnerState, RunnerState, bool> EveryPair()
    {
        var data = new TheoryData<RunnerState, RunnerState, bool>();
        for (var from = 0; from < Order.Length; from++)
        {
            for (var to = 0; to < Order.Length; to++) data.Add(Order[from], Order[to], Expected[from, to] == 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void IsValid_EveryPair_MatchesTheExpectedMatrix(RunnerState from, RunnerState to, bool expected) =>
        Assert.Equal(expected, RunnerTransitions.IsValid(from, to));

    [Fact]
    public void Matrix_EveryState_IsCovered() => Assert.Equal(Enum.GetValues<RunnerState>().Order(), Order.Order());
}
