//go:build race

package dataset

// raceBuild: the race detector multiplies memory and time, so measures of
// them are not asserted in such a build.
const raceBuild = true
