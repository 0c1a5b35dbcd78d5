package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sandframe/sandframe/netapi"
)

// loopbackTLS starts srv with a certificate for 127.0.0.1 made here and returns a
// PEM file of it, for the shell's SSL_CERT_FILE: the shell trusts it as a system root.
func loopbackTLS(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sandframe e2e"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return ca
}

// TestSocketEcho: a mini-app connects to a loopback wss echo server (dev mode allows
// loopback), sends text and an ArrayBuffer, gets both back, closes with its own code;
// an undeclared domain and plain ws:// are refused with connectSocket's errMsg; and
// getNetworkType answers what the desktop's routing table says.
func TestSocketEcho(t *testing.T) {
	closes := make(chan websocket.StatusCode, 4)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"chat"}})
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, data, err := c.Read(r.Context())
			if err != nil {
				closes <- websocket.CloseStatus(err)
				return
			}
			if err := c.Write(r.Context(), typ, data); err != nil {
				return
			}
		}
	}))
	ca := loopbackTLS(t, srv)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot, "e2e/testdata/socket"))); err != nil {
		t.Fatal(err)
	}
	url := "wss://" + srv.Listener.Addr().String() + "/echo"
	if err := os.WriteFile(filepath.Join(dir, "server.js"), []byte("module.exports = { url: '"+url+"' };\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := launchEnv(t, dir, []string{"SSL_CERT_FILE=" + ca, "SANDFRAME_NETWORK_DEVMODE=true",
		"SANDFRAME_PERMISSIONS_PROMPT=policy", "SANDFRAME_PERMISSIONS_PROMPTS=allow"})
	ctx := ctxT(t)
	c := r.client
	if err := c.WaitText(ctx, "#state", "idle"); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#go"); err != nil {
		t.Fatal(err)
	}
	for sel, want := range map[string]string{
		"#text": "echo: hello over wss", "#bytes": "bytes: 7,8,9", "#closed": "closed 4000 done",
		"#global": "global saw a message", "#state": "open",
	} {
		if err := c.WaitText(ctx, sel, want); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case code := <-closes:
		if code != 4000 {
			t.Errorf("the server saw close code %d, want 4000", code)
		}
	case <-ctx.Done():
		t.Fatal("the server saw no close")
	}
	if err := c.Tap(ctx, "#refused"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#undeclared", "connectSocket:fail url not in domain list: evil.example.org is not declared in app.json network.domains"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#plain", `connectSocket:fail invalid url "ws://api.example.test/ws": use wss (plain ws is allowed only to loopback in dev mode)`); err != nil {
		t.Fatal(err)
	}
	if err := c.Tap(ctx, "#net"); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitText(ctx, "#network", "type "+netapi.SystemNetwork().Type); err != nil {
		t.Fatal(err)
	}
	if err := c.Screenshot(ctx, artifact(t, "socket-echo.png")); err != nil {
		t.Fatal(err)
	}
	r.stop(t)
}
