module.exports = {
  displayName: 'chaos',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  coverageDirectory: '../../coverage/tools/chaos',
  // every scenario faults the one shared stack: never two test files at once
  maxWorkers: 1,
};
