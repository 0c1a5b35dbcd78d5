var s = "éé" +;
