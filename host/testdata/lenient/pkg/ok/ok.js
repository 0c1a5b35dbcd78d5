Page({ data: { said: 'from a subpackage' } });
