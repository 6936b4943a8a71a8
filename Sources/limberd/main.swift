print("limberd: not built yet")
