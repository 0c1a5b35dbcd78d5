package bundle
import ("testing";"time";"bytes";"math/rand/v2")
func TestSlowHunt(t *testing.T){
	seeds := [][]byte{packFiles(t, testFiles(), PackOptions{Key: testKey(t,1)}), packFiles(t, testFiles(), PackOptions{})}
	rng := rand.New(rand.NewPCG(3,4))
	for i := 0; i < 20000; i++ {
		s := bytes.Clone(seeds[rng.IntN(2)])
		for k := rng.IntN(4)+1; k > 0; k-- { s[rng.IntN(len(s))] = byte(rng.Uint32()) }
		done := make(chan struct{})
		go func(){ Open(bytes.NewReader(s), int64(len(s)), fuzzLimits); close(done) }()
		select { case <-done: case <-time.After(3*time.Second): 
			t.Fatalf("slow input %d", i) }
	}
}
