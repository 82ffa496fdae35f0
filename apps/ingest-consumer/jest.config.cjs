module.exports = {
  displayName: 'ingest-consumer',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/apps/ingest-consumer',
};
