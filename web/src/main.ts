import './components/ow-app.ts';
