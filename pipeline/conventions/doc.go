// Package conventions holds no code: its tests hold the code base to the
// rules of its structure that a compiler does not check (issue 15). A
// function is at most 120 lines long; each concern has one home (see
// docs/architecture.md, and layout's TestPrefixesOnlyHere for store keys).
package conventions
