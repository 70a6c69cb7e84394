// Package progress shows how a long command goes: on a terminal as
// progress bars (github.com/vbauerster/mpb), elsewhere as plain log lines,
// or not at all (--quiet, --json). Everything goes to one writer, stderr
// in the command line, so that results on stdout stay clean.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/vbauerster/cupwriter"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Reporter receives the progress of a command. Its methods may be called
// from several goroutines.
type Reporter interface {
	// Stage says a stage begins ("load", "preflight", "render"...).
	Stage(name string)
	// Pages says how many pages of an edition are laid out so far.
	Pages(edition string, n int)
	// EditionDone says an edition is written, with its pages.
	EditionDone(edition string, pages int)
	// Transfer starts counting the bytes of a transfer of total bytes.
	Transfer(name string, total int64) Counter
	// Close ends the report (bars are drawn a last time).
	Close()
}

// Counter counts the bytes of one transfer.
type Counter interface {
	// Set says how many bytes are through.
	Set(n int64)
	Done()
}

// Reader reports on c how far r has been read. A seekable r stays
// seekable (a store hashes the content, then rewinds and sends it), and
// the count follows the position.
func Reader(r io.ReadSeeker, c Counter) io.ReadSeeker { return &countReader{r: r, c: c} }

type countReader struct {
	r   io.ReadSeeker
	c   Counter
	pos int64
}

func (cr *countReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.pos += int64(n)
	cr.c.Set(cr.pos)
	return n, err
}

func (cr *countReader) Seek(off int64, whence int) (int64, error) {
	pos, err := cr.r.Seek(off, whence)
	if err == nil {
		cr.pos = pos
	}
	return pos, err
}

// Nop reports nothing.
type Nop struct{}

// Stage does nothing.
func (Nop) Stage(string) {}

// Pages does nothing.
func (Nop) Pages(string, int) {}

// EditionDone does nothing.
func (Nop) EditionDone(string, int) {}

// Transfer counts nothing.
func (Nop) Transfer(string, int64) Counter { return nopCounter{} }

// Close does nothing.
func (Nop) Close() {}

type nopCounter struct{}

func (nopCounter) Set(int64) {}
func (nopCounter) Done()     {}

// For chooses the reporter for a command writing to w: bars on a
// terminal, log lines elsewhere, nothing when quiet.
func For(w io.Writer, quiet bool) Reporter {
	if quiet {
		return Nop{}
	}
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return NewBars(w, false)
	}
	return NewLines(w)
}

// Lines writes one plain line per event: stages, every 25 pages of an
// edition and its end, each transfer when done.
type Lines struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	last  map[string]int
}

// NewLines reports to w as log lines.
func NewLines(w io.Writer) *Lines { return &Lines{w: w, start: time.Now(), last: map[string]int{}} }

func (l *Lines) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "%6.2fs  "+format+"\n", append([]any{time.Since(l.start).Seconds()}, args...)...)
}

// Stage logs the stage.
func (l *Lines) Stage(name string) { l.printf("%s", name) }

// Pages logs every 25th page.
func (l *Lines) Pages(ed string, n int) {
	l.mu.Lock()
	step := n/25 > l.last[ed]/25
	if step {
		l.last[ed] = n
	}
	l.mu.Unlock()
	if step {
		l.printf("render %s: %d pages laid out", ed, n)
	}
}

// EditionDone logs the edition's pages.
func (l *Lines) EditionDone(ed string, pages int) { l.printf("render %s: done, %d pages", ed, pages) }

// Transfer logs the transfer when it is done.
func (l *Lines) Transfer(name string, total int64) Counter {
	return &lineCounter{l: l, name: name, total: total}
}

// Close does nothing.
func (l *Lines) Close() {}

type lineCounter struct {
	l     *Lines
	name  string
	total int64
	n     int64
	mu    sync.Mutex
}

func (c *lineCounter) Set(n int64) { c.mu.Lock(); c.n = n; c.mu.Unlock() }
func (c *lineCounter) Done() {
	c.mu.Lock()
	n := c.n
	c.mu.Unlock()
	c.l.printf("upload %s: %d of %d bytes", c.name, n, c.total)
}

// Bars draws progress bars: one per edition with its pages, one per
// transfer with its bytes; stages are printed above them.
type Bars struct {
	p    *mpb.Progress
	once sync.Once
	mu   sync.Mutex // guards eds; never held while mpb draws
	eds  map[string]*edBar
}

type edBar struct {
	bar   *mpb.Bar
	pages atomic.Int64
}

// NewBars draws bars on w; force draws them even when w is not a
// terminal (tests).
func NewBars(w io.Writer, force bool) *Bars {
	cw := console{cupwriter.New(w, force)}
	opts := []mpb.ContainerOption{mpb.WithConsoleWriter(cw), mpb.WithWidth(80), mpb.WithRefreshRate(80 * time.Millisecond)}
	if force {
		opts = append(opts, mpb.WithAutoRefresh())
	}
	return &Bars{p: mpb.New(opts...), eds: map[string]*edBar{}}
}

// Stage prints the stage above the bars.
func (b *Bars) Stage(name string) { fmt.Fprintf(b.p, "%s\n", name) }

func (b *Bars) edition(ed string) *edBar {
	b.mu.Lock()
	e := b.eds[ed]
	if e == nil {
		e = &edBar{}
		b.eds[ed] = e
	}
	b.mu.Unlock()
	if e.bar == nil {
		// one goroutine renders an edition: no race on its own bar
		e.bar = b.p.New(0, mpb.SpinnerStyle(),
			mpb.PrependDecorators(decor.Name("render "+ed, decor.WC{W: 10, C: decor.DindentRight})),
			mpb.AppendDecorators(decor.Any(func(decor.Statistics) string {
				return fmt.Sprintf("%d pages", e.pages.Load())
			}), decor.Elapsed(decor.ET_STYLE_GO, decor.WC{W: 6})))
	}
	return e
}

// Pages moves the edition's bar.
func (b *Bars) Pages(ed string, n int) {
	e := b.edition(ed)
	e.pages.Store(int64(n))
	e.bar.SetCurrent(int64(n))
}

// EditionDone completes the edition's bar.
func (b *Bars) EditionDone(ed string, pages int) {
	e := b.edition(ed)
	e.pages.Store(int64(pages))
	e.bar.SetTotal(int64(pages), true)
}

// Transfer adds a bar counting bytes.
func (b *Bars) Transfer(name string, total int64) Counter {
	bar := b.p.AddBar(total,
		mpb.PrependDecorators(decor.Name(name, decor.WC{W: 28, C: decor.DindentRight})),
		mpb.AppendDecorators(decor.CountersKibiByte("% .1f / % .1f")))
	return barCounter{bar, total}
}

// Close completes the bars and waits for the last drawing.
func (b *Bars) Close() {
	b.once.Do(func() {
		b.mu.Lock()
		var open []*mpb.Bar
		for _, e := range b.eds {
			if e.bar != nil && !e.bar.Completed() {
				open = append(open, e.bar)
			}
		}
		b.mu.Unlock()
		for _, bar := range open {
			bar.Abort(false)
		}
		b.p.Wait()
	})
}

type barCounter struct {
	bar   *mpb.Bar
	total int64
}

func (c barCounter) Set(n int64) { c.bar.SetCurrent(n) }
func (c barCounter) Done()       { c.bar.SetTotal(c.total, true) }

// console is the terminal writer of the bars; a terminal that does not
// say its size (a pseudo-terminal of script or CI) counts as 80 columns,
// where mpb would draw nothing.
type console struct{ *cupwriter.Writer }

func (c console) GetTermSize() (int, int, error) {
	w, h, err := c.Writer.GetTermSize()
	if err != nil || w <= 0 {
		return 80, 24, nil
	}
	return w, h, nil
}
