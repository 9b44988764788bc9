// Loaded with --import: reports the process's peak resident memory and CPU time when it exits.
process.on('exit', () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nPEAK_RSS_KB=${usage.maxRSS}\nCPU_US=${usage.userCPUTime + usage.systemCPUTime}\n`,
  );
});
