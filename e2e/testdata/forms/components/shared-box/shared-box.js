Component({ options: { addGlobalClass: false, virtualHost: true } });
