module.exports = {
  displayName: 'leader-metrics',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/leader-metrics',
};
