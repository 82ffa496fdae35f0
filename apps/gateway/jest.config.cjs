module.exports = {
  displayName: 'gateway',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/gateway',
};
