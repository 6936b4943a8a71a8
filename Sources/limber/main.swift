print("limber: not built yet")
