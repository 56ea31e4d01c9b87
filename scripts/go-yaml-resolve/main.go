// go-yaml-resolve: how gopkg.in/yaml.v2 (kubectl's, Helm's) reads YAML
// text into interface{}. A test oracle for msvc's printer and its model
// of go-yaml (src/yaml/go_read.rs).
//
// Reads JSON lines, each a YAML document as a string; writes one JSON line
// per input: {"type": "<Go type>", "value": "<fmt %v>"} for a document
// `v: ...` holding one scalar under key v, or {"error": "..."}.
//
//   sudo apt-get install golang-go golang-gopkg-yaml.v2-dev
//   GO111MODULE=off GOPATH=/usr/share/gocode go run scripts/go-yaml-resolve/main.go < in.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	yaml "gopkg.in/yaml.v2"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var doc string
		if err := json.Unmarshal(in.Bytes(), &doc); err != nil {
			_ = enc.Encode(map[string]string{"error": "bad line: " + err.Error()})
			continue
		}
		var out map[interface{}]interface{}
		if err := yaml.Unmarshal([]byte(doc), &out); err != nil {
			_ = enc.Encode(map[string]string{"error": err.Error()})
			continue
		}
		v := out["v"]
		_ = enc.Encode(map[string]string{"type": fmt.Sprintf("%T", v), "value": fmt.Sprintf("%v", v)})
	}
}
