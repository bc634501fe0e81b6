export default function Home() {
  return (
    <main id="main" className="container">
      <h1>ecommerce-3d</h1>
    </main>
  );
}
