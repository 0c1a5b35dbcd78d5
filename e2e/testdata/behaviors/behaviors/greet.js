module.exports = Behavior({
  data: { greeting: 'hello from a behavior' },
  methods: { greet(who) { return 'hi ' + who; } },
});
