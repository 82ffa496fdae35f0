module.exports = {
  displayName: 'dlq-replayer',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/dlq-replayer',
};
