Page({ onLoad() { console.log('index loaded'); } });
