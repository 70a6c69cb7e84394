//go:build !race

package dataset

const raceBuild = false
