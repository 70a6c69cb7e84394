//go:build !unix

package store

// lock serialises writers within the process.
func (d *Dir) lock() (func(), error) {
	d.mu.Lock()
	return d.mu.Unlock, nil
}
