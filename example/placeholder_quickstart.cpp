// placeholder until the quickstart lands
int main() { return 0; }
