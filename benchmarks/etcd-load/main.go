// etcd-load drives an etcd v3 endpoint with Go's clientv3, the client Milvus uses, and prints one
// JSON line of results. It knows nothing of FakeEtcd: the same binary measures real etcd.
//
//	load:   W watchers of a prefix, each on its own connection, then P writers, each on its own
//	        connection, put N keys under it. Reports put throughput and checks that every watcher
//	        saw every put exactly once, in revision order, with the key that put wrote.
//	fanout: W watchers of one key spread over C connections (one watch stream per watcher); R
//	        rounds of one put each, timed from the put's start to the moment the last watcher has
//	        read its event.
//
// Build offline in GOPATH mode: GO111MODULE=off GOPATH=/usr/share/gocode go build ./benchmarks/etcd-load
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/etcd/clientv3"
	"google.golang.org/grpc/metadata"
)

type loadResult struct {
	Mode           string   `json:"mode"`
	Writers        int      `json:"writers"`
	Watchers       int      `json:"watchers"`
	Puts           int      `json:"puts"`
	PutSeconds     float64  `json:"putSeconds"`
	PutsPerSecond  float64  `json:"putsPerSecond"`
	DeliverSeconds float64  `json:"deliverSeconds"`
	EventsRead     int64    `json:"eventsRead"`
	WatchersExact  int      `json:"watchersExact"`
	ClientCPU      float64  `json:"clientCpuSeconds"`
	Errors         []string `json:"errors"`
}

type fanoutResult struct {
	Mode        string    `json:"mode"`
	Watchers    int       `json:"watchers"`
	Connections int       `json:"connections"`
	Rounds      int       `json:"rounds"`
	MicrosP50   float64   `json:"p50Micros"`
	MicrosP90   float64   `json:"p90Micros"`
	MicrosP99   float64   `json:"p99Micros"`
	Micros      []float64 `json:"micros"`
	ClientCPU   float64   `json:"clientCpuSeconds"`
	Errors      []string  `json:"errors"`
}

func main() {
	endpoint := flag.String("endpoint", "127.0.0.1:2379", "client URL host:port")
	mode := flag.String("mode", "load", "load or fanout")
	writers := flag.Int("writers", 32, "load: writer connections")
	watchers := flag.Int("watchers", 40, "watchers (load: one connection each; fanout: one stream each)")
	puts := flag.Int("puts", 12800, "load: keys to put in all")
	valueSize := flag.Int("value-size", 100, "bytes per value")
	connections := flag.Int("connections", 10, "fanout: connections the watchers share")
	rounds := flag.Int("rounds", 200, "fanout: timed puts")
	warmup := flag.Int("warmup", 20, "fanout: untimed puts first")
	prefix := flag.String("prefix", "", "key prefix (default: a fresh one)")
	flag.Parse()
	if *prefix == "" {
		*prefix = "/etcd-load/" + strconv.FormatInt(time.Now().UnixNano(), 36)
	}
	value := string(make([]byte, *valueSize))
	var out interface{}
	switch *mode {
	case "load":
		r := runLoad(*endpoint, *prefix, *writers, *watchers, *puts, value)
		r.ClientCPU = cpuSeconds()
		out = r
	case "fanout":
		r := runFanout(*endpoint, *prefix, *watchers, *connections, *rounds, *warmup, value)
		r.ClientCPU = cpuSeconds()
		out = r
	default:
		fmt.Fprintln(os.Stderr, "unknown -mode", *mode)
		os.Exit(2)
	}
	line, _ := json.Marshal(out)
	fmt.Println(string(line))
}

// cpuSeconds is this process's user and system CPU time so far: the client's share of the machine.
func cpuSeconds() float64 {
	var usage syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &usage) != nil {
		return 0
	}
	return float64(usage.Utime.Nano()+usage.Stime.Nano()) / 1e9
}

func connect(endpoint string) *clientv3.Client {
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, "connect:", err)
		os.Exit(1)
	}
	return c
}

type seen struct {
	revision int64
	key      string
}

func runLoad(endpoint, prefix string, writers, watchers, puts int, value string) loadResult {
	result := loadResult{Mode: "load", Writers: writers, Watchers: watchers, Puts: puts, Errors: []string{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	received := make([][]seen, watchers)
	var eventsRead int64
	var lastRead int64 // unix nanos of the last event any watcher read
	var delivered sync.WaitGroup
	var clients []*clientv3.Client
	for i := 0; i < watchers; i++ {
		c := connect(endpoint)
		clients = append(clients, c)
		ch := c.Watch(ctx, prefix+"/", clientv3.WithPrefix(), clientv3.WithCreatedNotify())
		if first := <-ch; !first.Created {
			fmt.Fprintln(os.Stderr, "watch not created:", first.Err())
			os.Exit(1)
		}
		delivered.Add(1)
		go func(i int, ch clientv3.WatchChan) {
			defer delivered.Done()
			for resp := range ch {
				if resp.Err() != nil {
					return
				}
				for _, ev := range resp.Events {
					received[i] = append(received[i], seen{ev.Kv.ModRevision, string(ev.Kv.Key)})
				}
				atomic.AddInt64(&eventsRead, int64(len(resp.Events)))
				atomic.StoreInt64(&lastRead, time.Now().UnixNano())
				if len(received[i]) >= puts {
					return
				}
			}
		}(i, ch)
	}

	wrote := make([]map[int64]string, writers)
	writerClients := make([]*clientv3.Client, writers)
	for w := range writerClients {
		writerClients[w] = connect(endpoint)
		clients = append(clients, writerClients[w])
		wrote[w] = map[int64]string{}
	}
	var errMu sync.Mutex
	var writing sync.WaitGroup
	start := time.Now()
	for w := 0; w < writers; w++ {
		writing.Add(1)
		go func(w int) {
			defer writing.Done()
			for j := w; j < puts; j += writers {
				key := fmt.Sprintf("%s/%02d/%06d", prefix, w, j)
				resp, err := writerClients[w].Put(ctx, key, value)
				if err != nil {
					errMu.Lock()
					result.Errors = append(result.Errors, "put: "+err.Error())
					errMu.Unlock()
					return
				}
				wrote[w][resp.Header.Revision] = key
			}
		}(w)
	}
	writing.Wait()
	result.PutSeconds = time.Since(start).Seconds()
	result.PutsPerSecond = float64(puts) / result.PutSeconds

	done := make(chan struct{})
	go func() { delivered.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		result.Errors = append(result.Errors, "watchers did not read every event within 60 s")
		cancel()
		<-done
	}
	result.DeliverSeconds = float64(atomic.LoadInt64(&lastRead)-start.UnixNano()) / 1e9
	result.EventsRead = atomic.LoadInt64(&eventsRead)

	expected := make([]seen, 0, puts)
	for _, m := range wrote {
		for rev, key := range m {
			expected = append(expected, seen{rev, key})
		}
	}
	sort.Slice(expected, func(a, b int) bool { return expected[a].revision < expected[b].revision })
	for i, got := range received {
		if equal(got, expected) {
			result.WatchersExact++
		} else if len(result.Errors) < 10 {
			result.Errors = append(result.Errors, fmt.Sprintf("watcher %d: %d events, expected the %d puts in order", i, len(got), len(expected)))
		}
	}
	for _, c := range clients {
		c.Close()
	}
	return result
}

func equal(a, b []seen) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func runFanout(endpoint, prefix string, watchers, connections, rounds, warmup int, value string) fanoutResult {
	result := fanoutResult{Mode: "fanout", Watchers: watchers, Connections: connections, Rounds: rounds, Errors: []string{}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	key := prefix + "/fanout"
	clients := make([]*clientv3.Client, connections)
	for i := range clients {
		clients[i] = connect(endpoint)
	}
	var remaining int64
	var roundDone atomic.Value
	for i := 0; i < watchers; i++ {
		// Distinct metadata gives each watcher its own stream, as separate components' watches get.
		wctx := metadata.AppendToOutgoingContext(ctx, "watcher", strconv.Itoa(i))
		ch := clients[i%connections].Watch(wctx, key, clientv3.WithCreatedNotify())
		if first := <-ch; !first.Created {
			fmt.Fprintln(os.Stderr, "watch not created:", first.Err())
			os.Exit(1)
		}
		go func(ch clientv3.WatchChan) {
			for resp := range ch {
				for range resp.Events {
					if atomic.AddInt64(&remaining, -1) == 0 {
						close(roundDone.Load().(chan struct{}))
					}
				}
			}
		}(ch)
	}

	writer := connect(endpoint)
	defer writer.Close()
	for r := 0; r < warmup+rounds; r++ {
		done := make(chan struct{})
		roundDone.Store(done)
		atomic.StoreInt64(&remaining, int64(watchers))
		start := time.Now()
		if _, err := writer.Put(ctx, key, value); err != nil {
			result.Errors = append(result.Errors, "put: "+err.Error())
			break
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			result.Errors = append(result.Errors, fmt.Sprintf("round %d: %d watchers did not see the put within 30 s", r, atomic.LoadInt64(&remaining)))
			r = warmup + rounds
			continue
		}
		if r >= warmup {
			result.Micros = append(result.Micros, float64(time.Since(start).Nanoseconds())/1e3)
		}
	}
	if len(result.Micros) > 0 {
		sorted := append([]float64(nil), result.Micros...)
		sort.Float64s(sorted)
		at := func(p float64) float64 { return sorted[int(p*float64(len(sorted)-1)+0.5)] }
		result.MicrosP50, result.MicrosP90, result.MicrosP99 = at(0.5), at(0.9), at(0.99)
	}
	for _, c := range clients {
		c.Close()
	}
	return result
}
