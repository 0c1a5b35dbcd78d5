Component({
  methods: { f() { return 1 +; } }
});
