import { buildSnapshot, consumerLag, recordsInWindow, summarizeActivity, type Figures } from './figures';

describe('recordsInWindow', () => {
  it('counts from the first offset inside the window to the end, per partition', () => {
    const start = [
      { partition: 1, offset: '40' },
      { partition: 0, offset: '10' },
      { partition: 2, offset: '7' },
    ];
    const ends = [
      { partition: 0, high: '25', low: '0' },
      { partition: 1, high: '40', low: '0' },
      { partition: 2, high: '9', low: '0' },
    ];
    expect(recordsInWindow(start, ends)).toEqual([
      { partition: 0, count: 15 },
      { partition: 1, count: 0 },
      { partition: 2, count: 2 },
    ]);
  });

  it('never goes negative, and a partition without a start counts nothing', () => {
    expect(recordsInWindow([{ partition: 0, offset: '30' }, { partition: 1, offset: '-1' }], [
      { partition: 0, high: '25', low: '0' },
      { partition: 1, high: '5', low: '0' },
      { partition: 2, high: '5', low: '0' },
    ])).toEqual([
      { partition: 0, count: 0 },
      { partition: 1, count: 0 },
      { partition: 2, count: 0 },
    ]);
  });
});

describe('consumerLag', () => {
  it('is the distance from the committed offset to the end; without a commit, everything retained', () => {
    const committed = [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '-1' },
      { partition: 2, offset: '2' },
    ];
    const ends = [
      { partition: 2, high: '9', low: '5' },
      { partition: 0, high: '12', low: '0' },
      { partition: 1, high: '8', low: '3' },
    ];
    expect(consumerLag('g', 't', committed, ends)).toEqual([
      { group: 'g', topic: 't', partition: 0, lag: 2 },
      { group: 'g', topic: 't', partition: 1, lag: 5 },
      // a commit before the retained start: only what is still there can be consumed
      { group: 'g', topic: 't', partition: 2, lag: 4 },
    ]);
  });
});

describe('summarizeActivity', () => {
  it('counts distinct conversations and distinct senders or recipients', () => {
    expect(
      summarizeActivity([
        { conversationId: 'a:b', fromUser: 'a', toUser: 'b' },
        { conversationId: 'a:b', fromUser: 'b', toUser: 'a' },
        { conversationId: 'a:c', fromUser: 'c', toUser: 'a' },
      ]),
    ).toEqual({ activeConversations: 2, activeUsers: 3 });
    expect(summarizeActivity([])).toEqual({ activeConversations: 0, activeUsers: 0 });
  });
});

describe('buildSnapshot', () => {
  const figures: Figures = {
    rateWindowSeconds: 30,
    messagesInWindow: [
      { partition: 0, count: 12 },
      { partition: 1, count: 3 },
    ],
    activity: { activeConversations: 4, activeUsers: 6 },
    ingestLag: [{ group: 'wiber.ingest', topic: 'wiber.messages', partition: 0, lag: 1 }],
    replayerLag: [
      { group: 'wiber.dlq-replayer', topic: 'wiber.messages.dlq', partition: 0, lag: 2 },
      { group: 'wiber.dlq-replayer', topic: 'wiber.messages.dlq', partition: 1, lag: 5 },
    ],
  };

  it('scales counts to a per-minute rate and takes the DLQ depth from the replayer lag', () => {
    expect(buildSnapshot(figures, 'lm-1', 9, 1_000)).toEqual({
      leaderId: 'lm-1',
      epoch: 9,
      generatedAt: 1_000,
      windowSeconds: 30,
      messagesPerMinute: 30,
      messagesPerMinuteByPartition: [
        { partition: 0, perMinute: 24 },
        { partition: 1, perMinute: 6 },
      ],
      activeConversations: 4,
      activeUsers: 6,
      consumerLag: [...figures.ingestLag, ...figures.replayerLag],
      dlqDepth: 7,
    });
  });
});
