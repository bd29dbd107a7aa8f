// CI runs `npm test` with CI=true. Ink reads CI once, when it is imported, and then paints only the
// last frame; the in-process UI tests assert on every frame, so the test processes themselves run
// as a terminal would. Child processes get their CI value explicitly from each test.
process.env.CI = 'false';
